# Writes OUTPUT: a C++ file defining wijkbudget::ledger::pg::EmbeddedMigrations(), the schema
# files in name order as (version, name, SQL). The version is the file name's leading number.
list(SORT SCHEMA_FILES)
set(body "")
foreach(file IN LISTS SCHEMA_FILES)
  get_filename_component(name ${file} NAME)
  string(REGEX MATCH "^[0-9]+" version ${name})
  if(version STREQUAL "")
    message(FATAL_ERROR "schema file ${name} does not start with its version number")
  endif()
  # Without its leading zeros: C++ reads 010 as octal 8, and refuses 008.
  string(REGEX REPLACE "^0+([0-9])" "\\1" version ${version})
  file(READ ${file} sql)
  string(APPEND body "    {${version}, \"${name}\", R\"wbsql(${sql})wbsql\"},\n")
endforeach()
file(WRITE ${OUTPUT} "// Generated from ledger/pg/schema/*.sql by embed_schema.cmake; do not edit.
#include \"ledger/pg/migrations.hpp\"

namespace wijkbudget::ledger::pg {

std::span<const Migration> EmbeddedMigrations()
{
    static const Migration migrations[] = {
${body}    };
    return migrations;
}

} // namespace wijkbudget::ledger::pg
")
