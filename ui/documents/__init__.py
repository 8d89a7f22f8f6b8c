"""Document screens: preview, issue, save, print, batch print."""
