"""The artifact's page: one page for every role, each workflow package adding its section."""
