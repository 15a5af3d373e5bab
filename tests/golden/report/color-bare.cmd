lint --color {}
