// Validates a parsed document against the embedded JSON Schema (valijson) and turns valijson's
// error tree into precise diagnostics: one per offending node, at its YAML location, with the
// rule id for its kind (unknown key, missing key, wrong type, bad value) and a fix taken from the
// schema's own descriptions.
#pragma once

#include "confgen/diagnostics.hpp"
#include "yaml/document.hpp"

namespace jailconf::yaml {

enum class DocumentRole {
    system,   // the file given on the command line
    fragment, // a file named by `include:`
    kb_rules, // a rule file (kb/rules/, --rules-dir)
    kb_data,  // device or board data (kb/devices/, kb/boards/)
    request,  // a partition request (schema/request.schema.json)
};

// Returns true when the document is valid.
bool validate_document(const Document& doc, DocumentRole role, Diagnostics& diags);

} // namespace jailconf::yaml
