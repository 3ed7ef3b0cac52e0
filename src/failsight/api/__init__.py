"""The HTTP layer: FastAPI app, routers and request and response schemas."""
