"""Publishing the site: the MkDocs plugin, its pages, the build, the content security policy.

The only package that imports MkDocs."""
