"""Official documents (执法文书): gather a record into a snapshot, render it as PDF, issue, correct and verify."""
