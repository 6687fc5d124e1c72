"""/docs: Swagger UI served from the swagger-ui-bundle-v2 package (no CDN), else a server-rendered list of the API."""

from __future__ import annotations

import logging
from importlib import import_module
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from newsfold.web.site import Site

log = logging.getLogger(__name__)

ASSETS = "/docs/assets"
METHODS = ("get", "post", "put", "patch", "delete")


def swagger_assets() -> Path | None:
    """The folder of Swagger UI's files (package swagger-ui-bundle-v2, module swagger_ui_bundle), or None."""
    try:
        bundle = import_module("swagger_ui_bundle")
    except ImportError:
        return None
    folder = Path(str(getattr(bundle, "swagger_ui_path", "")))
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The API's operations from its OpenAPI schema: method, path, summary, description and parameters."""
    found = []
    for path, item in sorted(schema.get("paths", {}).items()):
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary") or "",
                    "description": operation.get("description") or "",
                    "parameters": [
                        {
                            "name": p.get("name"),
                            "where": p.get("in"),
                            "required": bool(p.get("required")),
                            "description": p.get("description") or "",
                        }
                        for p in operation.get("parameters", [])
                    ],
                }
            )
    return found


def install_docs(app: FastAPI, site: Site) -> None:
    """Serve /docs from local files only (the app must be made with docs_url=None)."""
    assets = swagger_assets()
    if assets is not None:
        app.mount(ASSETS, StaticFiles(directory=str(assets)), name="docs-assets")
    router = APIRouter(include_in_schema=False)

    @router.get("/docs", response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        """Swagger UI over /openapi.json, or the API listed server-side when Swagger UI is not installed."""
        if assets is not None:
            body = site.render("docs.html", page="docs", swagger=ASSETS)
        else:
            body = site.render("docs.html", page="docs", swagger=None, operations=operations(app.openapi()))
        return HTMLResponse(body.content, status_code=body.status)

    app.include_router(router)
