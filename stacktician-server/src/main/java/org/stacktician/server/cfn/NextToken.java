package org.stacktician.server.cfn;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The Query API's paging: a NextToken is the offset of the next page within one listing, opaque to
 * clients (a token of another listing, or a made-up one, is a ValidationError).
 */
final class NextToken {
  /** Items per page, as CloudFormation pages its stacks and events. */
  static final int PAGE = 100;

  private NextToken() {}

  /** A page of items. */
  record Page<T>(List<T> items, String nextToken) {}

  /** The offset a request's NextToken names within {@code listing} (0 without one). */
  static int offset(QueryParams params, String listing) {
    String token = params.text("NextToken");
    if (token == null) {
      return 0;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (text.startsWith(listing + ":")) {
        int offset = Integer.parseInt(text.substring(listing.length() + 1));
        if (offset >= 0) {
          return offset;
        }
      }
    } catch (IllegalArgumentException e) {
      // the same answer as for a token of another listing
    }
    throw CfnError.validation("Invalid NextToken: it is not one this server gave for " + listing);
  }

  /** The token of the page after the {@code count} items from {@code offset}, null when no more follow. */
  static String after(String listing, int offset, int count, boolean more) {
    return more ? Base64.getUrlEncoder().withoutPadding()
        .encodeToString((listing + ":" + (offset + count)).getBytes(StandardCharsets.UTF_8)) : null;
  }

  /** One page of a whole list. */
  static <T> Page<T> page(List<T> all, QueryParams params, String listing) {
    int offset = offset(params, listing);
    List<T> items = offset >= all.size() ? List.of() : all.subList(offset, Math.min(all.size(), offset + PAGE));
    return new Page<>(items, after(listing, offset, items.size(), offset + items.size() < all.size()));
  }
}
