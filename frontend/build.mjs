// Builds the portal's copy of GOV.UK Frontend into ../static/vendor/govuk-frontend/.
//
// The Sass is compiled with the portal's own settings: a system font stack instead of the
// GDS Transport typeface (which only GOV.UK may use), and no @font-face for it. Nothing that
// draws the GOV.UK crown, logo or coat of arms is built, so no image or font assets are copied.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const govuk = join(here, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(here, "..", "static", "vendor", "govuk-frontend");
const version = JSON.parse(
  readFileSync(join(here, "node_modules", "govuk-frontend", "package.json"), "utf8"),
).version;

mkdirSync(out, { recursive: true });

// Only the components the portal uses. Left out on purpose: the header (it carries the GOV.UK
// crown) and the footer (its copyright notice uses the royal coat of arms).
const components = [
  "back-link", "breadcrumbs", "button", "checkboxes", "date-input", "details", "error-message",
  "error-summary", "fieldset", "hint", "input", "inset-text", "label", "notification-banner",
  "pagination", "panel", "radios", "select", "service-navigation", "skip-link", "summary-list",
  "table", "tag", "task-list", "textarea", "warning-text",
];
const source = `
@use "govuk-frontend/dist/govuk/base" with (
  $govuk-font-family: (system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif),
  $govuk-include-default-font-face: false,
  $govuk-assets-path: "assets/"
);
@use "govuk-frontend/dist/govuk/core";
@use "govuk-frontend/dist/govuk/objects";
${components.map((name) => `@use "govuk-frontend/dist/govuk/components/${name}";`).join("\n")}
@use "govuk-frontend/dist/govuk/utilities";
@use "govuk-frontend/dist/govuk/overrides";
`;
const result = sass.compileString(source, {
  loadPaths: [join(here, "node_modules")],
  style: "compressed",
  quietDeps: true,
  // No "@charset" rule, and no byte order mark in its place (compressed output starts with one
  // when the CSS holds a character outside ASCII). Either, after the banner, would spoil the
  // first rule.
  charset: false,
});
// Belt and braces: drop any byte order mark or @charset rule that still comes through.
const css = result.css.replace(/^\uFEFF/, "").replace(/^@charset "[^"]*";/i, "");
const banner = `/*! GOV.UK Frontend ${version} (MIT), built for the portal by frontend/build.mjs: system fonts, no GOV.UK crown or logo. */\n`;
writeFileSync(join(out, "govuk-frontend.min.css"), banner + css + "\n");

for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  copyFileSync(join(govuk, name), join(out, name));
}
writeFileSync(join(out, "LICENSE"), "GOV.UK Frontend is released under the MIT licence: https://github.com/alphagov/govuk-frontend/blob/main/LICENSE.txt\n");
writeFileSync(join(out, "VERSION"), `${version}\n`);
console.log(`GOV.UK Frontend ${version} built into ${out}`);
