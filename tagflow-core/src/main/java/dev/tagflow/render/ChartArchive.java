package dev.tagflow.render;

import dev.tagflow.TagflowException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The files of a packaged chart ({@code charts/cache-0.2.0.tgz}, as {@code helm dependency build}
 * leaves them): a gzip'd tar, read without a library. Regular files only; names from ustar headers,
 * GNU long names and PAX {@code path} records, which is what Helm's packager writes.
 */
final class ChartArchive {

  private static final int BLOCK = 512;

  private ChartArchive() {}

  /**
   * Every regular file by its path in the archive.
   *
   * @param name the archive's path, for messages
   * @throws TagflowException (INVALID_INPUT) when it is not a gzip'd tar, or a path leaves it
   */
  static Map<String, byte[]> read(String name, byte[] archive) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(archive))) {
      byte[] tar = in.readAllBytes();
      String longName = null;
      int offset = 0;
      while (offset + BLOCK <= tar.length && !isZero(tar, offset)) {
        String path = text(tar, offset, 100);
        String prefix = text(tar, offset + 345, 155);
        if (!prefix.isEmpty()) {
          path = prefix + "/" + path;
        }
        long size =
            Long.parseLong(
                text(tar, offset + 124, 12).strip().isEmpty()
                    ? "0"
                    : text(tar, offset + 124, 12).strip(),
                8);
        char type = (char) tar[offset + 156];
        int data = offset + BLOCK;
        if (size < 0 || data + size > tar.length) {
          throw new IOException("truncated entry " + path);
        }
        String content =
            type == 'L' || type == 'x'
                ? new String(tar, data, (int) size, StandardCharsets.UTF_8)
                : null;
        if (type == 'L') {
          longName = content.replace("\0", "");
        } else if (type == 'x') {
          longName = paxPath(content);
        } else {
          if (longName != null) {
            path = longName;
            longName = null;
          }
          if (type == '0' || type == '\0') {
            files.put(safe(name, path), java.util.Arrays.copyOfRange(tar, data, data + (int) size));
          }
        }
        offset = data + (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
      }
      return files;
    } catch (IOException | NumberFormatException e) {
      throw TagflowException.invalidInput(
          name + " is not a chart archive (a .tgz from helm package): " + e.getMessage());
    }
  }

  private static String paxPath(String records) {
    for (String record : records.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 1 + "path=".length());
      }
    }
    return null;
  }

  private static String safe(String archive, String path) {
    String cleaned = path.startsWith("./") ? path.substring(2) : path;
    if (cleaned.startsWith("/") || ("/" + cleaned + "/").contains("/../")) {
      throw TagflowException.invalidInput(archive + " holds a path that leaves it: " + path);
    }
    return cleaned;
  }

  private static String text(byte[] tar, int offset, int length) {
    int end = offset;
    while (end < offset + length && tar[end] != 0) {
      end++;
    }
    return new String(tar, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] tar, int offset) {
    for (int i = offset; i < offset + BLOCK; i++) {
      if (tar[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
