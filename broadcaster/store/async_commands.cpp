// Classifying the errors asynchronous Redis callers get.
#include "store/async_commands.h"

#include "util/errors.h"

namespace broadcaster::store {

bool is_unavailable(const std::exception_ptr& error) {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (const RedisIoError&) {
    return true;
  } catch (...) {
    return false;
  }
}

std::string describe(const std::exception_ptr& error) {
  if (!error) return {};
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

}  // namespace broadcaster::store
