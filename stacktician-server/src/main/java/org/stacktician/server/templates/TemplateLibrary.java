package org.stacktician.server.templates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.stacktician.server.Ids;
import org.stacktician.server.ServerException;
import org.stacktician.server.db.ServerDatabase;
import org.stacktician.server.db.Sql;
import org.stacktician.server.users.Caller;
import org.stacktician.template.TemplateError;

/**
 * The template library: templates by name per owner, private or public (public ones visible to
 * every user, changed only by their owner or an admin), every change of body kept as a new
 * version with the validation result it got when saved.
 */
public final class TemplateLibrary {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<TemplateError>> ERRORS = new TypeReference<>() {};
  /** Most items a page holds. */
  public static final int MAX_PAGE = 100;

  private final Jdbi jdbi;

  public TemplateLibrary(ServerDatabase db) {
    this.jdbi = db.jdbi();
  }

  /** What a user gives; null fields of an update keep their value. */
  public record Input(String name, String description, String category, Boolean isPublic, String body) {}

  /** List filters: null means any. */
  public record Filter(String nameContains, String category, Boolean isPublic, Boolean mineOnly) {}

  /** A template with the version asked for. */
  public record Entry(LibraryTemplate template, TemplateVersion version) {}

  /** Saves a new template (version 1) for the caller, validated. */
  public Entry create(Caller caller, Input in) {
    requireName(in.name());
    checkText("description", in.description(), 1024);
    checkText("category", in.category(), 128);
    if (in.body() == null || in.body().isBlank()) {
      throw ServerException.Invalid.field("body", "give the template body (JSON or YAML)");
    }
    TemplateValidation.Result result = TemplateValidation.validate(in.body(), in.name());
    Instant now = Instant.now();
    LibraryTemplate t = new LibraryTemplate(Ids.id("tpl-"), caller.id(), in.name(), in.description(), in.category(),
        Boolean.TRUE.equals(in.isPublic()), 1, now, now);
    TemplateVersion v = new TemplateVersion(t.id(), 1, in.body(), result.valid(), result.errors(), now);
    try {
      jdbi.useTransaction(h -> {
        h.createUpdate("INSERT INTO st_templates (template_id, user_id, template_name, description, category, is_public,"
                + " latest_version, created_at, updated_at) VALUES (:id, :user, :name, :description, :category,"
                + " :public, 1, :at, :at)")
            .bind("id", t.id()).bind("user", t.ownerId()).bind("name", t.name()).bind("description", t.description())
            .bind("category", t.category()).bind("public", t.isPublic()).bind("at", ServerDatabase.timestamp(now))
            .execute();
        insertVersion(h, v);
      });
    } catch (RuntimeException e) {
      if (Sql.isUniqueViolation(e)) {
        throw new ServerException.Conflict("you already have a template named '" + in.name() + "'");
      }
      throw e;
    }
    return new Entry(t, v);
  }

  /** Changes a template the caller owns (or any, for an admin); a changed body becomes a new version. */
  public Entry update(Caller caller, String id, Input in) {
    LibraryTemplate old = owned(caller, id);
    String name = in.name() != null ? in.name() : old.name();
    requireName(name);
    checkText("description", in.description(), 1024);
    checkText("category", in.category(), 128);
    TemplateVersion latest = version(old, old.latestVersion());
    boolean newBody = in.body() != null && !in.body().equals(latest.body());
    if (in.body() != null && in.body().isBlank()) {
      throw ServerException.Invalid.field("body", "the template body is empty");
    }
    Instant now = Instant.now();
    int version = newBody ? old.latestVersion() + 1 : old.latestVersion();
    TemplateVersion v = latest;
    if (newBody) {
      TemplateValidation.Result result = TemplateValidation.validate(in.body(), name);
      v = new TemplateVersion(id, version, in.body(), result.valid(), result.errors(), now);
    }
    LibraryTemplate t = new LibraryTemplate(id, old.ownerId(), name,
        in.description() != null ? in.description() : old.description(),
        in.category() != null ? in.category() : old.category(),
        in.isPublic() != null ? in.isPublic() : old.isPublic(), version, old.createdAt(), now);
    TemplateVersion saved = v;
    try {
      jdbi.useTransaction(h -> {
        h.createUpdate("UPDATE st_templates SET template_name = :name, description = :description, category = :category,"
                + " is_public = :public, latest_version = :version, updated_at = :at WHERE template_id = :id")
            .bind("name", t.name()).bind("description", t.description()).bind("category", t.category())
            .bind("public", t.isPublic()).bind("version", version).bind("at", ServerDatabase.timestamp(now))
            .bind("id", id).execute();
        if (newBody) {
          insertVersion(h, saved);
        }
      });
    } catch (RuntimeException e) {
      if (Sql.isUniqueViolation(e)) {
        throw new ServerException.Conflict("you already have a template named '" + name + "'");
      }
      throw e;
    }
    return new Entry(t, saved);
  }

  /** A template the caller sees (theirs, a public one, or any for an admin) with its latest version. */
  public Entry get(Caller caller, String id) {
    LibraryTemplate t = visible(caller, id);
    return new Entry(t, version(t, t.latestVersion()));
  }

  /** One version of a template the caller sees. */
  public Entry get(Caller caller, String id, int version) {
    LibraryTemplate t = visible(caller, id);
    return new Entry(t, version(t, version));
  }

  /** Every version of a template the caller sees, newest first. */
  public List<TemplateVersion> versions(Caller caller, String id) {
    LibraryTemplate t = visible(caller, id);
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM st_template_versions WHERE template_id = :id"
        + " ORDER BY version DESC").bind("id", t.id()).map((rs, ctx) -> version(rs)).list());
  }

  /** Removes a template the caller owns (or any, for an admin) with all its versions. */
  public void delete(Caller caller, String id) {
    owned(caller, id);
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM st_template_versions WHERE template_id = :id").bind("id", id).execute();
      h.createUpdate("DELETE FROM st_templates WHERE template_id = :id").bind("id", id).execute();
    });
  }

  /** The templates the caller sees that pass the filter, by name, one page. */
  public Page<LibraryTemplate> list(Caller caller, Filter f, int offset, int limit) {
    if (offset < 0) {
      throw ServerException.Invalid.field("offset", "offset must be 0 or more");
    }
    if (limit < 1 || limit > MAX_PAGE) {
      throw ServerException.Invalid.field("limit", "limit must be 1 to " + MAX_PAGE);
    }
    List<String> where = new ArrayList<>();
    if (Boolean.TRUE.equals(f.mineOnly())) {
      where.add("user_id = :user");
    } else if (!caller.admin()) {
      where.add("(user_id = :user OR is_public = TRUE)");
    }
    if (f.nameContains() != null) {
      where.add("LOWER(template_name) LIKE :name ESCAPE '!'");
    }
    if (f.category() != null) {
      where.add("category = :category");
    }
    if (f.isPublic() != null) {
      where.add("is_public = :public");
    }
    String clause = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
    return jdbi.withHandle(h -> {
      long total = bind(h.createQuery("SELECT COUNT(*) FROM st_templates" + clause), caller, f)
          .mapTo(Long.class).one();
      List<LibraryTemplate> items = bind(h.createQuery("SELECT * FROM st_templates" + clause
          + " ORDER BY template_name, template_id LIMIT :limit OFFSET :offset"), caller, f)
          .bind("limit", limit).bind("offset", offset).map((rs, ctx) -> template(rs)).list();
      return Page.of(items, total, offset, limit);
    });
  }

  private static Query bind(Query q, Caller caller, Filter f) {
    q.bind("user", caller.id());
    if (f.nameContains() != null) {
      String escaped = f.nameContains().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
      q.bind("name", "%" + escaped + "%");
    }
    if (f.category() != null) {
      q.bind("category", f.category());
    }
    if (f.isPublic() != null) {
      q.bind("public", f.isPublic());
    }
    return q;
  }

  private LibraryTemplate visible(Caller caller, String id) {
    return find(id).filter(t -> t.isPublic() || caller.sees(t.ownerId()))
        .orElseThrow(() -> new ServerException.NotFound("no template " + id));
  }

  /** A template the caller may change: another user's, even a public one, is not theirs to change. */
  private LibraryTemplate owned(Caller caller, String id) {
    return find(id).filter(t -> caller.sees(t.ownerId()))
        .orElseThrow(() -> new ServerException.NotFound("no template " + id + " of yours"));
  }

  private Optional<LibraryTemplate> find(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM st_templates WHERE template_id = :id")
        .bind("id", id).map((rs, ctx) -> template(rs)).findOne());
  }

  private TemplateVersion version(LibraryTemplate t, int version) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM st_template_versions WHERE template_id = :id"
            + " AND version = :version").bind("id", t.id()).bind("version", version)
        .map((rs, ctx) -> version(rs)).findOne())
        .orElseThrow(() -> new ServerException.NotFound("template " + t.id() + " has no version " + version));
  }

  private static void insertVersion(Handle h, TemplateVersion v) {
    String errors;
    try {
      errors = JSON.writeValueAsString(v.errors());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode validation errors", e);
    }
    h.createUpdate("INSERT INTO st_template_versions (template_id, version, body, is_valid, errors, created_at)"
            + " VALUES (:id, :version, :body, :valid, :errors, :at)")
        .bind("id", v.templateId()).bind("version", v.version()).bind("body", v.body()).bind("valid", v.valid())
        .bind("errors", errors).bind("at", ServerDatabase.timestamp(v.createdAt())).execute();
  }

  private static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw ServerException.Invalid.field("name", "template name '" + name + "' is not valid: 1 to 128 letters,"
          + " digits, '.', '_' or '-', starting with a letter or digit");
    }
  }

  private static void checkText(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw ServerException.Invalid.field(field, "the " + field + " has " + value.length() + " characters; at most " + max);
    }
  }

  private static LibraryTemplate template(ResultSet rs) throws SQLException {
    return new LibraryTemplate(rs.getString("template_id"), rs.getString("user_id"), rs.getString("template_name"),
        rs.getString("description"), rs.getString("category"), rs.getBoolean("is_public"),
        rs.getInt("latest_version"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
  }

  private static TemplateVersion version(ResultSet rs) throws SQLException {
    List<TemplateError> errors;
    try {
      errors = JSON.readValue(rs.getString("errors"), ERRORS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read the stored validation errors of " + rs.getString("template_id"), e);
    }
    return new TemplateVersion(rs.getString("template_id"), rs.getInt("version"), rs.getString("body"),
        rs.getBoolean("is_valid"), errors, Sql.instant(rs, "created_at"));
  }
}
