#include "api/web/assets.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <optional>

namespace wijkbudget::api::web {
namespace {

//! The whole file if it exists and is at most `bytes_max` long.
std::optional<std::string> ReadFileUpTo(const std::filesystem::path& path, std::size_t bytes_max)
{
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (error || size > bytes_max) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (content.size() != size) return std::nullopt;
    return content;
}

//! A hashed name as the build writes it: letters, digits, '-', '_' and '.', not leading '.'.
bool IsPlainFileName(std::string_view name)
{
    if (name.empty() || name.size() > 128 || name.front() == '.') return false;
    for (const char c : name) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!plain) return false;
    }
    return true;
}

std::optional<std::string> ContentTypeOf(std::string_view name)
{
    if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
    if (name.ends_with(".css")) return "text/css; charset=utf-8";
    return std::nullopt;
}

} // namespace

boost::system::result<WebAssets, std::string>
WebAssets::Load(const std::filesystem::path& directory)
{
    const auto manifest_path = directory / "manifest.json";
    const auto manifest_text = ReadFileUpTo(manifest_path, MANIFEST_BYTES_MAX);
    if (!manifest_text)
        return "cannot read " + manifest_path.string() + " (run deploy/build_web.sh)";
    boost::system::error_code parse_error;
    const auto manifest = boost::json::parse(*manifest_text, parse_error);
    if (parse_error || !manifest.is_object())
        return manifest_path.string() + " is not a JSON object";
    WebAssets assets;
    for (const auto& [logical, hashed_value] : manifest.as_object()) {
        if (!hashed_value.is_string())
            return manifest_path.string() + ": the name of " + std::string(logical) +
                   " is not a string";
        const std::string hashed{hashed_value.as_string()};
        const auto content_type = ContentTypeOf(hashed);
        if (!IsPlainFileName(hashed) || !content_type)
            return manifest_path.string() + ": " + hashed + " is not a .js or .css file name";
        auto body = ReadFileUpTo(directory / hashed, ASSET_BYTES_MAX);
        auto gzip = ReadFileUpTo(directory / (hashed + ".gz"), ASSET_BYTES_MAX);
        if (!body || !gzip)
            return "cannot read " + (directory / hashed).string() + " and its .gz copy (at most " +
                   std::to_string(ASSET_BYTES_MAX) + " bytes each)";
        assets.m_hashed_names.emplace(std::string(logical), hashed);
        assets.m_files.emplace(hashed, Asset{*content_type, std::move(*body), std::move(*gzip)});
    }
    return assets;
}

const Asset* WebAssets::Find(std::string_view name) const
{
    const auto found = m_files.find(name);
    return found == m_files.end() ? nullptr : &found->second;
}

std::string WebAssets::UrlOf(std::string_view logical) const
{
    const auto found = m_hashed_names.find(logical);
    return found == m_hashed_names.end() ? std::string{} : "/assets/" + found->second;
}

namespace {

std::string_view Trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

bool EqualsIgnoringCase(std::string_view left, std::string_view right)
{
    return left.size() == right.size() &&
           std::equal(left.begin(), left.end(), right.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
           });
}

//! A weight of 0 ("0", "0.", "0.000") refuses the coding; any other, or none, accepts it.
bool WeightAccepts(std::string_view parameters)
{
    while (!parameters.empty()) {
        const std::size_t next = parameters.find(';');
        const std::string_view parameter = Trimmed(parameters.substr(0, next));
        parameters =
            next == std::string_view::npos ? std::string_view{} : parameters.substr(next + 1);
        const std::size_t equals = parameter.find('=');
        if (equals == std::string_view::npos ||
            !EqualsIgnoringCase(Trimmed(parameter.substr(0, equals)), "q")) {
            continue;
        }
        const std::string_view weight = Trimmed(parameter.substr(equals + 1));
        if (weight.empty() || weight.front() != '0') return true;
        return std::any_of(weight.begin(), weight.end(),
                           [](char c) { return c >= '1' && c <= '9'; });
    }
    return true;
}

} // namespace

bool AcceptsGzip(std::string_view accept_encoding)
{
    std::optional<bool> gzip;
    std::optional<bool> any;
    while (!accept_encoding.empty()) {
        const std::size_t next = accept_encoding.find(',');
        const std::string_view element = accept_encoding.substr(0, next);
        accept_encoding =
            next == std::string_view::npos ? std::string_view{} : accept_encoding.substr(next + 1);
        const std::size_t semicolon = element.find(';');
        const std::string_view coding = Trimmed(element.substr(0, semicolon));
        const bool accepts =
            semicolon == std::string_view::npos || WeightAccepts(element.substr(semicolon + 1));
        if (EqualsIgnoringCase(coding, "gzip") || EqualsIgnoringCase(coding, "x-gzip")) {
            gzip = gzip.value_or(false) || accepts;
        } else if (coding == "*") {
            any = accepts;
        }
    }
    return gzip.value_or(any.value_or(false));
}

} // namespace wijkbudget::api::web
