// tests/unit/api/web_assets_test.cpp: loading the built front-end files (api/web/assets.hpp).

#include "api/web/assets.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace wijkbudget::api::web {
namespace {

namespace fs = std::filesystem;

class WebAssetsTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        std::random_device random;
        m_dir = fs::temp_directory_path() / ("wb-assets-" + std::to_string(random()));
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }
    void Write(const std::string& name, const std::string& content) const
    {
        std::ofstream(m_dir / name, std::ios::binary) << content;
    }
    fs::path m_dir;
};

TEST_F(WebAssetsTest, ServesExactlyTheFilesTheManifestNames)
{
    Write("manifest.json", R"({"app.js":"app-AB12.js","app.css":"app-CD34.css"})");
    Write("app-AB12.js", "console.log(1)");
    Write("app-AB12.js.gz", "gzip-js");
    Write("app-CD34.css", "body{}");
    Write("app-CD34.css.gz", "gzip-css");
    Write("other.js", "not named");
    auto assets = WebAssets::Load(m_dir);
    ASSERT_TRUE(assets) << assets.error();
    EXPECT_EQ(assets->UrlOf("app.js"), "/assets/app-AB12.js");
    EXPECT_EQ(assets->UrlOf("app.css"), "/assets/app-CD34.css");
    EXPECT_EQ(assets->UrlOf("missing.js"), "");
    const Asset* js = assets->Find("app-AB12.js");
    ASSERT_NE(js, nullptr);
    EXPECT_EQ(js->body, "console.log(1)");
    EXPECT_EQ(js->gzip, "gzip-js");
    EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(assets->Find("app-CD34.css")->content_type, "text/css; charset=utf-8");
    EXPECT_EQ(assets->Find("other.js"), nullptr);
    EXPECT_EQ(assets->Find("manifest.json"), nullptr);
    EXPECT_EQ(assets->Find("app.js"), nullptr);
}

TEST_F(WebAssetsTest, RefusesAnIncompleteOrStrangeBuild)
{
    auto missing_manifest = WebAssets::Load(m_dir);
    ASSERT_FALSE(missing_manifest);
    EXPECT_NE(missing_manifest.error().find("manifest.json"), std::string::npos);

    Write("manifest.json", R"({"app.js":"app-AB12.js"})");
    Write("app-AB12.js", "x"); // No .gz copy.
    auto no_gzip = WebAssets::Load(m_dir);
    ASSERT_FALSE(no_gzip);
    EXPECT_NE(no_gzip.error().find("app-AB12.js"), std::string::npos);

    for (const char* manifest : {R"({"app.js":"../etc/passwd.js"})", R"({"app.js":"app.html"})",
                                 R"({"app.js":7})", R"(["app.js"])", "not json"}) {
        Write("manifest.json", manifest);
        EXPECT_FALSE(WebAssets::Load(m_dir)) << manifest;
    }
}

TEST(AcceptsGzipTest, FollowsTheCodingsAndTheirWeights)
{
    for (const char* yes : {"gzip", "gzip, br", "br, GZIP", "gzip;q=0.5", "gzip; q=1", "x-gzip",
                            "*", "br;q=1, *;q=0.1", "gzip;q=0.001", "gzip;q=x"}) {
        EXPECT_TRUE(AcceptsGzip(yes)) << yes;
    }
    for (const char* no : {"", "br", "identity", "gzip;q=0", "gzip; Q=0.000", "gzip;q=0.", "*;q=0",
                           "br, *;q=0", "gzip;q=0, *", "gzipper", "deflate, compress"}) {
        EXPECT_FALSE(AcceptsGzip(no)) << no;
    }
}

} // namespace
} // namespace wijkbudget::api::web
