"""The API's documentation page, written from the OpenAPI schema itself, so the page and the
API cannot differ. Rendered on the server in the portal's own style: no outside scripts."""

import functools

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from ..filters import list_url
from ..templatetags.portal import inline_markdown as inline


@functools.cache
def api_schema():
    """The OpenAPI schema, as /api/schema/ serves it. Made once per process."""
    return SchemaGenerator().get_schema(request=None, public=True)


def component(schema, ref):
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def type_words(schema, prop):
    """A property's type in plain words, such as "list of text" or "one of: early, …"."""
    for key in ("allOf", "oneOf", "anyOf"):
        if key in prop:
            options = [option for option in prop[key] if option.get("type") != "null"]
            words = type_words(schema, options[0])
            return (
                f"{words}, or null"
                if prop.get("nullable") or len(options) < len(prop[key])
                else words
            )
    if "$ref" in prop:
        target = component(schema, prop["$ref"])
        if "enum" in target:
            return "one of: " + ", ".join(str(value) for value in target["enum"])
        return "object: " + ", ".join(target.get("properties", {}))
    if "enum" in prop:
        return "one of: " + ", ".join(str(value) for value in prop["enum"] if value is not None)
    kind = prop.get("type", "")
    if kind == "array":
        return f"list of {type_words(schema, prop.get('items', {}))}"
    words = {
        "string": {"date": "date (YYYY-MM-DD)", "date-time": "date and time", "uri": "address"}.get(
            prop.get("format"), "text"
        ),
        "integer": "whole number",
        "number": "number",
        "boolean": "true or false",
        "object": "object",
    }.get(kind, kind or "any")
    return f"{words}, or null" if prop.get("nullable") else words


def fields(schema, response):
    """The fields of one result of an endpoint, from its 200 response's schema."""
    body = response["content"]["application/json"]["schema"]
    body = component(schema, body["$ref"]) if "$ref" in body else body
    if "results" in body.get("properties", {}):
        body = body["properties"]["results"]["items"]
    body = component(schema, body["$ref"]) if "$ref" in body else body
    return [
        {"name": name, "type": type_words(schema, prop), "about": inline(prop.get("description"))}
        for name, prop in body.get("properties", {}).items()
    ]


def example(path):
    """An example address: a slug for a detail, a filter for a list of case studies."""
    examples = {
        "/api/case-studies/": "/api/case-studies/?topic=carers&region=east-of-england",
        "/api/councils/": "/api/councils/?gss_code=E10000012",
        "/api/councils/{slug}/": "/api/councils/E10000012/",
    }
    return examples.get(path, path.replace("{slug}", "example-slug"))


def endpoints(schema):
    found = []
    for path, operations in schema["paths"].items():
        operation = operations["get"]
        found.append(
            {
                "id": operation["operationId"].replace("_", "-"),
                "path": path,
                "summary": operation.get("summary", ""),
                "about": inline(operation.get("description", "")),
                "parameters": [
                    {
                        "name": parameter["name"],
                        "where": (
                            "in the address"
                            if parameter["in"] == "path"
                            else "after the ? in the address"
                        ),
                        "type": type_words(schema, parameter.get("schema", {})),
                        "about": inline(parameter.get("description", "")),
                    }
                    for parameter in operation.get("parameters", [])
                ],
                "fields": fields(schema, operation["responses"]["200"]),
                "example": example(path),
            }
        )
    return found


def api_docs(request):
    schema = api_schema()
    return render(
        request,
        "api/docs.html",
        {
            "info": schema["info"],
            "endpoints": endpoints(schema),
            "schema_url": reverse("api:schema"),
            "list_url": list_url(topic="carers"),
            "site": settings.SITE_URL,
        },
    )
