"""Loading the dataset and the seeds, and the rules that keep them valid."""
