/* Whether this is an AddressSanitizer build: gcc says so with
 * __SANITIZE_ADDRESS__, clang (before 17) only through __has_feature. */
#ifndef NC_SANITIZER_H
#define NC_SANITIZER_H

#if defined(__SANITIZE_ADDRESS__)
#define NC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NC_ASAN 1
#endif
#endif

#endif
