"""The people screens: 执法人员 (the officer form behind the officers list), 用户账户 and 调解委员会.

Every rule is the services' (services/people/): these screens collect input, show the services' refusals under
the field they name, and show the certificate standing services.people.certificates computes.
"""
