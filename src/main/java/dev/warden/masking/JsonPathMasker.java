package dev.warden.masking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Masks the parts of a json/jsonb document that a rule's path names and keeps the rest. The masked
 * leaf becomes a JSON string produced by the rule's strategy from the leaf's text (NULL gives JSON
 * null). A document that does not parse is masked whole (NULL): fail closed.
 */
final class JsonPathMasker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ValueMasker values;

    JsonPathMasker(ValueMasker values) {
        this.values = values;
    }

    /** The document with every path of {@code rules} masked; null for SQL NULL. */
    byte[] mask(List<ColumnRule> rules, long type, boolean binary, byte[] data, int from, int to) {
        boolean versioned = binary && type == PgTypes.JSONB;
        if (versioned && (to == from || data[from] != 1)) {
            return null;
        }
        JsonNode document;
        try {
            document = JSON.readTree(new String(data, versioned ? from + 1 : from, to - (versioned ? from + 1 : from),
                    StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return null;
        }
        if (document == null) {
            return null;
        }
        for (ColumnRule rule : rules) {
            document = maskPath(document, rule, 0);
        }
        byte[] text;
        try {
            text = JSON.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (!versioned) {
            return text;
        }
        byte[] withVersion = new byte[text.length + 1];
        withVersion[0] = 1;
        System.arraycopy(text, 0, withVersion, 1, text.length);
        return withVersion;
    }

    private JsonNode maskPath(JsonNode node, ColumnRule rule, int step) {
        if (step == rule.jsonPath().size()) {
            return maskLeaf(node, rule);
        }
        String key = rule.jsonPath().get(step);
        if (key.equals(JsonPathSteps.EVERY_ELEMENT)) {
            if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    array.set(i, maskPath(array.get(i), rule, step + 1));
                }
            }
            return node;
        }
        if (node instanceof ObjectNode object && object.has(key)) {
            object.set(key, maskPath(object.get(key), rule, step + 1));
        }
        return node;
    }

    private JsonNode maskLeaf(JsonNode leaf, ColumnRule rule) {
        if (leaf.isNull()) {
            return leaf;
        }
        String text = leaf.isTextual() ? leaf.textValue() : leaf.toString();
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        byte[] masked = values.mask(rule.strategy(), rule.keepLast(), PgTypes.TEXT, false, raw, 0, raw.length);
        return masked == null ? JSON.nullNode() : TextNode.valueOf(new String(masked, StandardCharsets.UTF_8));
    }
}
