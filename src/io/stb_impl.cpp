// src/io/stb_impl.cpp
//
// The one place where stb's image decoder and encoder are compiled (stb is header-only: exactly one file
// defines *_IMPLEMENTATION). Only the formats convlab reads are built in, and everything goes through
// memory buffers (files are read with io/atomic_file.hpp), so stb never touches the file system.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_ONLY_PNM
#define STBI_NO_STDIO
#define STBI_WRITE_NO_STDIO
#define STBI_FAILURE_USERMSG  // "Corrupt PNG" rather than "bad png"

// stb is third-party C; its warnings under -Wall -Wextra are not ours to fix.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>
#pragma GCC diagnostic pop
