"""People and who they may act as: parties, officers, user accounts and roles, mediation committees."""
