"""Read models for the screens and the command line: lists, details, the 工作台, pick-lists."""
