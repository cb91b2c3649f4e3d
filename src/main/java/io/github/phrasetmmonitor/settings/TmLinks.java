package io.github.phrasetmmonitor.settings;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a translation memory is in Phrase's web application, for the link every notice about it carries
 * ({@code alert.phrase-tm-url}): the template with the TM's uid, URL-escaped, in place of {@code {tmUid}}. Phrase
 * publishes no web address for a background task, so a notice links the TM only.
 *
 * @param template the URL with {@link #UID} in it; empty when links are off
 */
public record TmLinks(Optional<String> template) {

    /** What the template's author writes where the uid goes. */
    public static final String UID = "{tmUid}";
    /** The value of alert.phrase-tm-url that turns links off. */
    public static final String OFF = "off";
    /** No links: notices name the TM without one. */
    public static final TmLinks NONE = new TmLinks(Optional.empty());
    /** The TM page of Phrase's web application, under the data centre's host. */
    static final String TM_PAGE = "/web/transMemory/show/" + UID;

    /** The link to the TM {@code tmUid}; empty when links are off or the uid is unknown. */
    public Optional<String> of(String tmUid) {
        if (tmUid == null || tmUid.isBlank()) {
            return Optional.empty();
        }
        // form encoding writes a space as '+', which a path does not read as a space
        String escaped = URLEncoder.encode(tmUid, StandardCharsets.UTF_8).replace("+", "%20");
        return template.map(url -> url.replace(UID, escaped));
    }

    /**
     * The links of alert.phrase-tm-url's value: {@code off}, empty for those of the host of {@code baseUrl} (Phrase's
     * API root, whose data centre is the web application's too), or an http(s) URL with {@code {tmUid}}.
     *
     * @throws InvalidSettingsException naming the key, without the value
     */
    static TmLinks read(String key, String value, String baseUrl) {
        if (value.equalsIgnoreCase(OFF)) {
            return NONE;
        }
        if (value.isEmpty()) {
            return of(key, onHostOf(baseUrl));
        }
        return of(key, value);
    }

    /** The TM page on the host (and port) of {@code baseUrl}, which is checked already. */
    static String onHostOf(String baseUrl) {
        URI base = URI.create(baseUrl);
        return base.getScheme() + "://" + base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort()) + TM_PAGE;
    }

    private static TmLinks of(String key, String template) {
        if (!template.contains(UID)) {
            throw new InvalidSettingsException(key + " has no " + UID + " where the TM's uid goes, e.g."
                    + " https://cloud.memsource.com" + TM_PAGE + "; or " + OFF + " for no links");
        }
        try {
            URI sample = URI.create(template.replace(UID, "uid"));
            if (("http".equals(sample.getScheme()) || "https".equals(sample.getScheme())) && sample.getHost() != null) {
                return new TmLinks(Optional.of(template));
            }
        } catch (IllegalArgumentException malformed) {
            // said below
        }
        throw new InvalidSettingsException(key + " is not an http(s) URL with " + UID + ", e.g."
                + " https://cloud.memsource.com" + TM_PAGE + "; or " + OFF + " for no links");
    }
}
