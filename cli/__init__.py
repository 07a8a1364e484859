"""neuroloc command line."""
