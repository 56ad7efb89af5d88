// The JSON Schema of the YAML format (schema/jailconf.schema.json), embedded at build time.
#pragma once

#include <string_view>

namespace jailconf {

std::string_view embedded_schema_json();
// The JSON Schema of the partition request (schema/request.schema.json).
std::string_view embedded_request_schema_json();

} // namespace jailconf
