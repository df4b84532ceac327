"""Data in and out: import, export, backup and restore, on the job queue."""
