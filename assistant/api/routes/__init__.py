"""The v1 routers, one module per resource family; ``create_app`` mounts them."""
