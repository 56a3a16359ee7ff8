"""Running documents through the stages: one document (process) and folders of them (batch)."""
