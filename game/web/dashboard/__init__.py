"""The staff dashboard page (/dashboard/): STOP/GO for the director, the
approval queue with diffs, the live director log and charts of the world.
The page is static HTML + dashboard.js; everything live comes from the REST
API by polling."""
