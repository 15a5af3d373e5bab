lint --format json -
