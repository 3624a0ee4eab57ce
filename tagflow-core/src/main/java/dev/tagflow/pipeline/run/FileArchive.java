package dev.tagflow.pipeline.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The zip files of the cache and of artifacts, written and read with the JDK's {@code
 * java.util.zip}. Entry names are relative paths with {@code /}; a directory's name ends with
 * {@code /}. The entry comment carries what zip cannot say portably: {@code x} for an executable
 * file, {@code l} for a symbolic link (its target is the entry's content).
 *
 * <p>Extraction checks the whole archive before it writes anything: a name that is absolute, holds
 * {@code ..}, a backslash or NUL, a link whose target leaves the folder it is extracted into, more
 * entries or bytes than allowed — the archive is refused and nothing is written. While writing,
 * nothing is written through a symbolic link: a link already at a file's place is replaced, a link
 * among a file's parent directories refuses the archive; links are made last.
 */
final class FileArchive {

  /** One entry to write: its name in the archive and the file, directory or link it comes from. */
  record Entry(String name, Path source, PathPatterns.Kind kind) {}

  /** Where an entry goes: the folder it must stay in, and its path there. */
  record Place(Path root, Path target) {}

  /** What extraction may write at most. */
  record Limits(long maxEntries, long maxBytes) {}

  private static final String EXECUTABLE = "x";
  private static final String LINK = "l";

  private FileArchive() {}

  /**
   * Writes the entries to a new zip at {@code target}.
   *
   * @param level the deflate level, 0 (stored) to 9
   * @return the bytes of file content written
   */
  static long write(Path target, List<Entry> entries, int level) throws IOException {
    long bytes = 0;
    try (ZipOutputStream zip =
        new ZipOutputStream(Files.newOutputStream(target, StandardOpenOption.CREATE_NEW))) {
      zip.setLevel(level);
      for (Entry entry : entries) {
        switch (entry.kind()) {
          case DIRECTORY -> zip.putNextEntry(new ZipEntry(entry.name() + "/"));
          case LINK -> {
            ZipEntry e = new ZipEntry(entry.name());
            e.setComment(LINK);
            zip.putNextEntry(e);
            zip.write(
                Files.readSymbolicLink(entry.source()).toString().getBytes(StandardCharsets.UTF_8));
          }
          case FILE -> {
            ZipEntry e = new ZipEntry(entry.name());
            if (Files.isExecutable(entry.source())) {
              e.setComment(EXECUTABLE);
            }
            zip.putNextEntry(e);
            try (InputStream in = Files.newInputStream(entry.source())) {
              bytes += in.transferTo(zip);
            }
          }
        }
        zip.closeEntry();
      }
    }
    return bytes;
  }

  /**
   * Extracts an archive, each entry where {@code place} says.
   *
   * @param place where an entry of that name goes; throws {@link StepFailure} for one it refuses
   * @return how many files, directories and links were written
   * @throws StepFailure for an archive refused (nothing written) or a write that failed
   */
  static int extract(Path archive, Function<String, Place> place, Limits limits) {
    try (ZipFile zip = new ZipFile(archive.toFile(), StandardCharsets.UTF_8)) {
      List<ZipEntry> files = new ArrayList<>();
      List<ZipEntry> links = new ArrayList<>();
      List<Place> linkPlaces = new ArrayList<>();
      long declared = 0;
      Enumeration<? extends ZipEntry> all = zip.entries();
      while (all.hasMoreElements()) {
        ZipEntry entry = all.nextElement();
        if (files.size() + links.size() >= limits.maxEntries()) {
          throw refused(archive, "it has more than " + limits.maxEntries() + " entries");
        }
        String name = checkedName(archive, entry.getName());
        Place where = place.apply(name);
        Path target = where.target().normalize();
        if (!target.startsWith(where.root())) {
          throw refused(archive, "entry '" + name + "' would be written outside " + where.root());
        }
        noLinkAbove(archive, where.root(), target);
        if (LINK.equals(entry.getComment())) {
          String linkTarget = new String(zip.getInputStream(entry).readNBytes(4096), UTF8);
          if (!linkStaysIn(where.root(), target, linkTarget)) {
            throw refused(
                archive,
                "entry '"
                    + name
                    + "' is a symbolic link to '"
                    + linkTarget
                    + "', which leaves "
                    + where.root());
          }
          links.add(entry);
          linkPlaces.add(new Place(where.root(), target));
        } else {
          files.add(entry);
          declared += Math.max(0, entry.getSize());
        }
      }
      if (declared > limits.maxBytes()) {
        throw refused(archive, "it would write more than " + limits.maxBytes() + " bytes");
      }
      long written = 0;
      for (ZipEntry entry : files) {
        Place where = place.apply(entry.getName());
        Path target = where.target().normalize();
        noLinkAbove(archive, where.root(), target);
        if (entry.isDirectory()) {
          if (!target.equals(where.root()) && Files.isSymbolicLink(target)) {
            Files.delete(target);
          }
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        if (Files.isSymbolicLink(target) || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
          Files.delete(target); // as tar does: the entry replaces what is there, never follows it
        }
        try (InputStream in = zip.getInputStream(entry);
            OutputStream out =
                Files.newOutputStream(
                    target,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
          byte[] buffer = new byte[64 * 1024];
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            written += n;
            if (written > limits.maxBytes()) {
              throw refused(
                  archive, "it holds more than " + limits.maxBytes() + " bytes of content");
            }
            out.write(buffer, 0, n);
          }
        }
        if (EXECUTABLE.equals(entry.getComment())) {
          Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(target);
          permissions.add(PosixFilePermission.OWNER_EXECUTE);
          permissions.add(PosixFilePermission.GROUP_EXECUTE);
          permissions.add(PosixFilePermission.OTHERS_EXECUTE);
          Files.setPosixFilePermissions(target, permissions);
        }
      }
      for (int i = 0; i < links.size(); i++) {
        Path target = linkPlaces.get(i).target();
        noLinkAbove(archive, linkPlaces.get(i).root(), target);
        Files.createDirectories(target.getParent());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(archive, "link '" + links.get(i).getName() + "' would replace a folder");
          }
          Files.delete(target);
        }
        String linkTarget = new String(zip.getInputStream(links.get(i)).readAllBytes(), UTF8);
        Files.createSymbolicLink(target, Path.of(linkTarget));
      }
      return files.size() + links.size();
    } catch (IOException e) {
      throw new StepFailure("cannot extract " + archive.getFileName() + ": " + e.getMessage());
    }
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static String checkedName(Path archive, String name) {
    String bare = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    if (bare.isEmpty()
        || bare.startsWith("/")
        || bare.indexOf('\\') >= 0
        || bare.indexOf('\0') >= 0
        || bare.matches("[A-Za-z]:.*")) {
      throw refused(archive, "entry '" + name + "' is not a relative path");
    }
    for (String part : bare.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw refused(archive, "entry '" + name + "' has an empty, '.' or '..' part");
      }
    }
    return name;
  }

  /**
   * Whether a link's target stays in the root however it is followed: relative, {@code ..} only at
   * its start and no more of them than the link is deep, then names. Each link of the archive obeys
   * this, so following several of them stays in the root as well.
   */
  static boolean linkStaysIn(Path root, Path link, String target) {
    if (target.isEmpty()
        || target.indexOf('\0') >= 0
        || target.startsWith("/")
        || !link.getParent().startsWith(root)) {
      return false;
    }
    Path below = root.relativize(link.getParent());
    int depth = below.toString().isEmpty() ? 0 : below.getNameCount();
    int up = 0;
    boolean names = false;
    for (String part : target.split("/")) {
      if (part.equals("..")) {
        if (names) {
          return false;
        }
        up++;
      } else if (!part.isEmpty() && !part.equals(".")) {
        names = true;
      }
    }
    return up <= depth;
  }

  /** Refuses a target with a symbolic link between its root and it: a write would follow it. */
  private static void noLinkAbove(Path archive, Path root, Path target) {
    for (Path p = target.getParent(); p != null && p.startsWith(root); p = p.getParent()) {
      if (!p.equals(root) && Files.isSymbolicLink(p)) {
        throw refused(
            archive,
            "'"
                + root.relativize(target)
                + "' would be written through the symbolic link "
                + p
                + "; remove the link first");
      }
    }
  }

  private static StepFailure refused(Path archive, String why) {
    return new StepFailure(
        "the archive " + archive.getFileName() + " is refused and nothing was written: " + why);
  }
}
