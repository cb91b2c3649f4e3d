package io.github.phrasetmmonitor.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PromQL expression reads: its series selectors (metric name and label matchers) and the labels it groups or
 * matches by ({@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left/right}). Enough of PromQL
 * for the shipped rules and dashboard, which promtool parses for real (PromtoolTest); a construct this does not know
 * fails loudly rather than being skipped.
 */
record PromQl(String expression, List<Selector> selectors, Set<String> groupingLabels) {

    record LabelMatcher(String label, String operator, String value) {
    }

    record Selector(String metric, List<LabelMatcher> matchers) {
    }

    private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final Set<String> OPERATOR_KEYWORDS = Set.of("and", "or", "unless", "bool");
    private static final Pattern TOKEN = Pattern.compile(
            "(?<number>\\d+(?:\\.\\d+)?)|(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)|(?<labels>\\{[^}]*})"
                    + "|(?<range>\\[[^]]*])|(?<string>\"(?:[^\"\\\\]|\\\\.)*\")|(?<other>\\S)");
    private static final Pattern MATCHER = Pattern.compile(
            "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

    static PromQl parse(String expression) {
        List<String> tokens = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        Matcher token = TOKEN.matcher(expression);
        while (token.find()) {
            for (String kind : List.of("number", "name", "labels", "range", "string", "other")) {
                if (token.group(kind) != null) {
                    tokens.add(token.group(kind));
                    kinds.add(kind);
                    break;
                }
            }
        }
        List<Selector> selectors = new ArrayList<>();
        Set<String> grouping = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            String text = tokens.get(i);
            boolean openParenNext = i + 1 < tokens.size() && tokens.get(i + 1).equals("(");
            boolean groupingNext = i + 1 < tokens.size() && (tokens.get(i + 1).equals("by")
                    || tokens.get(i + 1).equals("without"));
            if (kinds.get(i).equals("labels")) {
                throw new IllegalArgumentException("a selector without a metric name in: " + expression);
            }
            if (!kinds.get(i).equals("name")) {
                continue;
            }
            if (text.equals("offset")) {
                throw new IllegalArgumentException("offset is not understood here: " + expression);
            }
            if (LABEL_LIST_KEYWORDS.contains(text)) {
                if (openParenNext) {
                    int j = i + 2;
                    for (; !tokens.get(j).equals(")"); j++) {
                        if (kinds.get(j).equals("name")) {
                            grouping.add(tokens.get(j));
                        }
                    }
                    i = j;
                }
                continue;
            }
            if (OPERATOR_KEYWORDS.contains(text) || openParenNext || groupingNext) {
                continue; // a binary operator, a function, or an aggregation (sum by (...) (...))
            }
            List<LabelMatcher> matchers = new ArrayList<>();
            if (i + 1 < tokens.size() && kinds.get(i + 1).equals("labels")) {
                String body = tokens.get(++i);
                Matcher matcher = MATCHER.matcher(body.substring(1, body.length() - 1));
                int end = 0;
                while (matcher.lookingAt()) {
                    matchers.add(new LabelMatcher(matcher.group(1), matcher.group(2), matcher.group(3)));
                    end = matcher.end();
                    matcher.region(end, matcher.regionEnd());
                }
                if (end != body.length() - 2) {
                    throw new IllegalArgumentException("label matchers not understood: " + body);
                }
            }
            selectors.add(new Selector(text, matchers));
        }
        return new PromQl(expression, selectors, grouping);
    }
}
