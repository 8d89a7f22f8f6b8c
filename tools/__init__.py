"""Development and demonstration tooling (demo data, screenshots, translation catalogues): not product rooms."""
