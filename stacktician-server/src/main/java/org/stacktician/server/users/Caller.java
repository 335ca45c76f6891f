package org.stacktician.server.users;

/** The authenticated user a request acts for; every query is scoped by it. */
public record Caller(User user) {
  public String id() {
    return user.id();
  }

  public boolean admin() {
    return user.admin();
  }

  /** True when the caller may see a thing owned by {@code ownerId}: its owner, or an admin. */
  public boolean sees(String ownerId) {
    return user.admin() || user.id().equals(ownerId);
  }
}
