@area:stateful-requests
Feature: Stateful requests
  A request may name, in `to`, the Ksock it means to reach. It is then delivered only while
  that Ksock is the replier KBUS would choose for the name anyway; otherwise the send fails,
  so a sender can tell that it is still talking to the same replier. `to` on an announcement
  restricts nothing.

  @ST-01 @spec:stateful-transactions @core @promise:request-reply
  Scenario: A request addressed to the current replier is delivered as usual
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    When "bob" sends the message:
      | name  | $.Sensors.Kitchen |
      | flags | WANT_A_REPLY      |
      | to    | alice             |
    Then it succeeds
    And "alice" receives "$.Sensors.Kitchen" with:
      | to    | alice                           |
      | from  | bob                             |
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY |
    And "carol" receives "$.Sensors.Kitchen" with:
      | to    | alice        |
      | flags | WANT_A_REPLY |

  @ST-02 @spec:stateful-transactions @core @promise:request-reply
  Scenario: A request addressed to a Ksock that is not the replier fails
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "dave" listens to "$.Sensors.Kitchen"
    When "bob" sends the message:
      | name  | $.Sensors.Kitchen |
      | flags | WANT_A_REPLY      |
      | to    | carol             |
    Then it fails with EPIPE
    And the refused message of "bob" used up a message id
    And "alice" receives nothing
    And "carol" receives nothing
    And "dave" receives nothing

  @ST-02 @spec:stateful-transactions @core @promise:request-reply
  Scenario: A stateful request fails once its replier has been replaced
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "alice" has unbound as replier from "$.Sensors.Kitchen"
    And "carol" is the replier for "$.Sensors.Kitchen"
    When "bob" sends the message:
      | name  | $.Sensors.Kitchen |
      | flags | WANT_A_REPLY      |
      | to    | alice             |
    Then it fails with EPIPE
    And "carol" receives nothing
    And "alice" receives nothing

  @ST-03 @ORD-03 @spec:stateful-transactions @core
  Scenario: A stateful request with no replier at all fails for want of a replier
    Given the Ksocks "alice" and "bob"
    When "bob" sends the message:
      | name  | $.Sensors.Kitchen |
      | flags | WANT_A_REPLY      |
      | to    | alice             |
    Then it fails with EADDRNOTAVAIL
    And "alice" receives nothing

  @ST-04 @spec:stateful-transactions @core @promise:broadcast
  Scenario: An announcement addressed to one Ksock still reaches every listener
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.Sensors.Kitchen"
    When "bob" sends the message:
      | name | $.Sensors.Kitchen |
      | to   | alice             |
    Then it succeeds
    And "alice" receives "$.Sensors.Kitchen" with:
      | to | alice |
    And "carol" receives "$.Sensors.Kitchen" with:
      | to | alice |

  @ST-05 @spec:stateful-transactions @core @promise:wildcards
  Scenario: A stateful request may be addressed to a wildcard replier that would be chosen
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.*"
    When "bob" sends the message:
      | name  | $.Sensors.Kitchen |
      | flags | WANT_A_REPLY      |
      | to    | alice             |
    Then it succeeds
    And "alice" receives "$.Sensors.Kitchen" with:
      | to    | alice                           |
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY |

  @ST-05 @spec:stateful-transactions @core @promise:wildcards
  Scenario: A stateful request to a wildcard replier fails when a more specific replier would be chosen
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.*"
    And "carol" is the replier for "$.Sensors.Kitchen"
    When "bob" sends the message:
      | name  | $.Sensors.Kitchen |
      | flags | WANT_A_REPLY      |
      | to    | alice             |
    Then it fails with EPIPE
    And "alice" receives nothing
    And "carol" receives nothing
