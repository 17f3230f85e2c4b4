"""What the chapters compute from the data: plain DataFrames, no rendering."""
