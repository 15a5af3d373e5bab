lint --format xml {}
