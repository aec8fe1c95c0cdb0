"""The web shell: blueprints with thin views, forms and Post/Redirect/Get."""
