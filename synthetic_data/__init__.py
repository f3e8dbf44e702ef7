"""synthetic_data package."""
