package dev.warden.bounded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LeastRecentlyUsedMapTest {
    @Test
    void holdsAtMostItsCapacityAndForgetsTheLeastRecentlyUsedFirst() {
        LeastRecentlyUsedMap<String, Integer> map = new LeastRecentlyUsedMap<>(3);
        map.put("a", 1);
        map.put("b", 2);
        map.put("c", 3);
        assertThat(map.get("a")).isEqualTo(1); // a read makes "a" the most recent
        map.put("d", 4);
        assertThat(map).containsOnlyKeys("a", "c", "d");
        map.put("c", 30); // so does a write
        map.put("e", 5);
        assertThat(map).containsOnlyKeys("c", "d", "e").containsEntry("c", 30);
    }

    @Test
    void aCapacityOfZeroKeepsNothingAndANegativeOneIsRefused() {
        LeastRecentlyUsedMap<String, Integer> none = new LeastRecentlyUsedMap<>(0);
        none.put("a", 1);
        assertThat(none).isEmpty();
        assertThatThrownBy(() -> new LeastRecentlyUsedMap<String, Integer>(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
