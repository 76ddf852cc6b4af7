// api/asio_impl.cpp: Asio, Asio's SSL support and Beast, compiled once for the whole program.
//
// wijkbudget_api defines BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION, so
// every other translation unit sees declarations only; on a 2-core machine this saves minutes per
// build (STYLE.md section 9, after boostorg/beast:test/lib_asio.cpp and test/lib_beast.cpp).

#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
