package io.edgeloop.packager.data;

import io.edgeloop.protocol.EdgeLoopException;
import io.edgeloop.protocol.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PII rules: their syntax, their checks against a header, the keyed hash, and what training sees. */
class PiiRulesTest {
    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER_KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
        Arrays.fill(OTHER_KEY, (byte) 8);
    }

    @TempDir
    Path dir;

    @Test
    void parsesRulesAndRefusesMalformedOnes() throws Exception {
        PiiRules rules = PiiRules.parse(List.of("email:drop,customer_id:hash", "phone:DROP"));
        assertEquals(PiiRule.DROP, rules.rule("email"));
        assertEquals(PiiRule.HASH, rules.rule("customer_id"));
        assertEquals(PiiRule.DROP, rules.rule("phone"));
        assertEquals("email:drop,customer_id:hash,phone:drop", rules.toString());
        assertTrue(PiiRules.parse((String) null).isEmpty());
        for (String bad : List.of("email", "email:mask", ":drop", "email:drop,email:hash")) {
            EdgeLoopException e = assertThrows(EdgeLoopException.class, () -> PiiRules.parse(bad), bad);
            assertEquals(ErrorCode.PII_RULE_INVALID, e.code(), bad);
        }
    }

    @Test
    void refusesUnknownColumnsTheLabelAndDroppingTheGroup() throws Exception {
        List<String> header = List.of("email", "region", "x", "label");
        EdgeLoopException unknown = assertThrows(EdgeLoopException.class,
                () -> PiiRules.parse("mail:drop").check(header, "label", null));
        assertEquals(ErrorCode.PII_RULE_INVALID, unknown.code());
        assertTrue(unknown.getMessage().contains("'mail'"), unknown.getMessage());
        EdgeLoopException label = assertThrows(EdgeLoopException.class,
                () -> PiiRules.parse("label:hash").check(header, "label", null));
        assertTrue(label.getMessage().contains("label column"), label.getMessage());
        assertThrows(EdgeLoopException.class, () -> PiiRules.parse("region:drop").check(header, "label", "region"));
        PiiRules.parse("region:hash,email:drop").check(header, "label", "region");
    }

    @Test
    void hmacJoinsEqualValuesAndDependsOnTheKey() {
        PiiHasher hasher = PiiHasher.hmac(KEY);
        String a = hasher.hash("ann@example.com");
        assertEquals(64, a.length());
        assertEquals(a, hasher.hash("ann@example.com"));
        assertNotEquals(a, hasher.hash("bob@example.com"));
        assertNotEquals(a, PiiHasher.hmac(OTHER_KEY).hash("ann@example.com"), "another key, another hash");
        assertEquals("", hasher.hash(""), "a missing value stays missing");
        assertThrows(IllegalArgumentException.class, () -> PiiHasher.hmac(new byte[16]));
    }

    @Test
    void filterDropsAndHashesEveryLine() throws Exception {
        PiiHasher hasher = PiiHasher.hmac(KEY);
        PiiFilter filter = PiiFilter.forHeader("email,customer_id,x,label",
                PiiRules.parse("email:drop,customer_id:hash"), "label", null, hasher);
        assertEquals(List.of("customer_id", "x", "label"), filter.columns());
        assertEquals("customer_id,x,label", filter.headerLine());
        assertEquals(hasher.hash("c-1") + ",1.5,yes", filter.apply("\"ann@example.com\",c-1,1.5,yes", 2));
        EdgeLoopException ragged = assertThrows(EdgeLoopException.class, () -> filter.apply("a,b,c", 3));
        assertEquals(ErrorCode.DATASET_INVALID, ragged.code());
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(EdgeLoopException.class, () -> PiiFilter.forHeader(
                "a,b", PiiRules.NONE, "label", null, hasher)).code());
    }

    @Test
    void trainingDataKeepsNoPii() throws Exception {
        Path file = dir.resolve("people.csv");
        Files.writeString(file, "email,customer_id,age,label\n"
                + "ann@example.com,c-1,30,yes\n"
                + "bob@example.com,c-2,40,no\n"
                + "cy@example.com,c-1,50,yes\n", StandardCharsets.UTF_8);
        CsvSpec spec = CsvSpec.parse("csv:" + file + "?label=label&group=customer_id&pii=email:drop,customer_id:hash");
        PiiHasher hasher = PiiHasher.hmac(KEY);
        TabularData data = new CsvDatasetReader(hasher).read(spec);
        assertEquals(List.of("age"), data.dataset().featureNames(), "neither the dropped nor the hashed column is a feature");
        assertEquals(List.of(hasher.hash("c-1"), hasher.hash("c-2"), hasher.hash("c-1")), data.groups());
        assertFalse(data.groups().contains("c-1"));
        EdgeLoopException noKey = assertThrows(EdgeLoopException.class, () -> new CsvDatasetReader().read(spec));
        assertEquals(ErrorCode.PII_RULE_INVALID, noKey.code());
        // Without the rules the e-mail column is a feature, and not a number.
        assertEquals(ErrorCode.DATASET_INVALID, assertThrows(EdgeLoopException.class, () -> new CsvDatasetReader()
                .read(CsvSpec.parse("csv:" + file + "?label=label&group=customer_id"))).code());
    }
}
