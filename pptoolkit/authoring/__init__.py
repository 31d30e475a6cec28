"""Authoring a playbook: `init` a new one, `new` artifacts from templates, the JSON schema of front matter."""
