package dev.netkit.ring;

import dev.netkit.testkit.ModuleDocExamplesTest;

/** The Java examples of ring's README and package documentation compile (testkit's Snippets rules). */
class DocExamplesTest extends ModuleDocExamplesTest {
}
