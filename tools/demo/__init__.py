"""Demo data generators: the small demo through the services, the bulk township decade, the demo district."""
