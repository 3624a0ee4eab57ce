package dev.tagflow.server.git;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a request to {@code /git/*} asks for, read from the same decoded view of the request that
 * JGit's servlet serves ({@link HttpServletRequest#getPathInfo()} and {@link
 * HttpServletRequest#getParameterValues}), never from the raw URL.
 *
 * <p>Only the two exact routes of a smart-HTTP clone or fetch are reads; every other request,
 * whatever it looks like, is treated as a write. So an encoding the access check does not foresee
 * ({@code ;params}, percent-encoding, case, double encoding) can only make a request need more
 * rights, never fewer.
 *
 * @param access what the request needs
 * @param repository the repository a read names (without {@code .git}); empty for writes, which
 *     need a token whatever they name
 */
record GitRequest(Access access, Optional<String> repository) {

  /** What a request may do to a repository. */
  enum Access {
    /** The ref advertisement for upload-pack, or upload-pack itself: clone and fetch. */
    READ,
    /** Anything else: push, the dumb protocol, or a request this class does not recognise. */
    WRITE
  }

  private static final String UPLOAD_PACK = "git-upload-pack";

  // /<name>/info/refs or /<name>/git-upload-pack; <name> is checked by HostedRepositories.
  private static final Pattern READ_PATH =
      Pattern.compile("^/([^/]+)/(info/refs|git-upload-pack)$");

  static GitRequest of(HttpServletRequest request) {
    String path = request.getPathInfo();
    if (path == null) {
      return write();
    }
    Matcher matcher = READ_PATH.matcher(path);
    if (!matcher.matches()) {
      return write();
    }
    Optional<String> name = HostedRepositories.validName(matcher.group(1));
    if (name.isEmpty()) {
      return write();
    }
    String method = request.getMethod();
    boolean read =
        matcher.group(2).equals("info/refs")
            ? (method.equals("GET") || method.equals("HEAD")) && asksForUploadPack(request)
            : method.equals("POST");
    return read ? new GitRequest(Access.READ, name) : write();
  }

  /**
   * Exactly one {@code service} parameter, exactly {@code git-upload-pack}: without one, JGit
   * serves the dumb protocol's ref list, and with two, which one it reads is its business, not
   * ours.
   */
  private static boolean asksForUploadPack(HttpServletRequest request) {
    String[] services = request.getParameterValues("service");
    return services != null && services.length == 1 && UPLOAD_PACK.equals(services[0]);
  }

  private static GitRequest write() {
    return new GitRequest(Access.WRITE, Optional.empty());
  }

  boolean isRead() {
    return access == Access.READ;
  }
}
