"""Building the book: deciding which chapters are stale, executing them, rendering."""
