"""From files to a loaded playbook: typed models, the publication (what the site will publish), the cache."""
