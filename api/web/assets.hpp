#pragma once
// api/web/assets.hpp: the built front-end files (web/, deploy/build_web.sh), held in memory.
//
// The build writes each file under a name that holds a hash of its content, a gzip copy beside
// it, and manifest.json mapping the logical names to those ("app.js" -> "app-3FQ2.js"). A name
// changes whenever the content does, so a file may be cached for good (immutable), and pages
// name the current file through the manifest. Only files the manifest names are served.

#include <boost/system/result.hpp>

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace wijkbudget::api::web {

struct Asset {
    std::string content_type;
    std::string body;
    std::string gzip; //!< The same bytes, gzip-compressed by the build.
};

//! A built file larger than this is a build gone wrong (the bundle is tens of KiB).
inline constexpr std::size_t ASSET_BYTES_MAX{4 * 1024 * 1024};
//! manifest.json is a handful of names.
inline constexpr std::size_t MANIFEST_BYTES_MAX{64 * 1024};

class WebAssets
{
public:
    /** Reads manifest.json and every file it names (with its .gz copy) from `directory`. The
     *  error says which file is missing, too large, or of a kind not served (.js and .css). */
    static boost::system::result<WebAssets, std::string>
    Load(const std::filesystem::path& directory);

    //! The file served as /assets/`name` (a hashed name); none for any other name.
    [[nodiscard]] const Asset* Find(std::string_view name) const;
    //! "/assets/app-3FQ2.js" for "app.js"; empty if the manifest has no such name.
    [[nodiscard]] std::string UrlOf(std::string_view logical) const;

private:
    std::map<std::string, std::string, std::less<>> m_hashed_names; //!< logical -> hashed
    std::map<std::string, Asset, std::less<>> m_files;              //!< hashed -> file
};

/** Whether an Accept-Encoding value accepts gzip (RFC 9110 section 12.5.3): a "gzip" or "x-gzip"
 *  coding, else "*", with a weight above 0 ("gzip;q=0" refuses it). Codings and parameters are
 *  case-insensitive; a weight that does not parse counts as 1. */
[[nodiscard]] bool AcceptsGzip(std::string_view accept_encoding);

} // namespace wijkbudget::api::web
