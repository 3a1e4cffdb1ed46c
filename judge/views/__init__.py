"""Pages of the judge app, one module per area: submissions, contests, staff tools."""
