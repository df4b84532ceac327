"""The peer CRM for the side-by-side benchmarks: installer, loader and driver (issue 17)."""
