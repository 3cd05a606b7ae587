@area:repliers
Feature: Repliers
  A replier is a binding that takes on the duty of answering requests. Each exact name string
  has at most one replier binding on a bus, but repliers for overlapping wildcards may coexist:
  for any request exactly one replier is chosen, the most specific one (an exact name before
  `%` before `*`; among matching `*` bindings, the one made last). Only requests travel
  through a replier binding, and the replier's copy alone is marked as wanting its reply.

  @REP-01 @spec:repliers @core @promise:request-reply
  Scenario: A second Ksock cannot become replier for a name that already has one
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    When "bob" binds as replier to "$.Sensors.Kitchen"
    Then it fails with EADDRINUSE
    And "alice" is the replier bound to "$.Sensors.Kitchen"

  @REP-01 @spec:repliers @core @promise:request-reply
  Scenario: The replier itself cannot bind as replier for the same name twice
    Given a Ksock "alice"
    And "alice" is the replier for "$.Sensors.Kitchen"
    When "alice" binds as replier to "$.Sensors.Kitchen"
    Then it fails with EADDRINUSE
    And "alice" is the replier bound to "$.Sensors.Kitchen"

  @REP-01 @spec:repliers @core
  Scenario: The replier binding for a wildcard string is just as exclusive
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.*"
    When "bob" binds as replier to "$.Sensors.*"
    Then it fails with EADDRINUSE
    And "alice" is the replier bound to "$.Sensors.*"

  @REP-02 @spec:repliers @core @promise:wildcards
  Scenario: Repliers for an exact name, a percent wildcard and a star wildcard coexist
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.*"
    And "bob" is the replier for "$.Sensors.%"
    When "carol" binds as replier to "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" is the replier bound to "$.Sensors.*"
    And "bob" is the replier bound to "$.Sensors.%"
    And "carol" is the replier bound to "$.Sensors.Kitchen"

  @REP-03 @spec:repliers @core @promise:request-reply
  Scenario: Announcements do not reach a replier binding
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    When "bob" sends an announcement "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" receives nothing

  @REP-03 @spec:repliers @core @promise:request-reply
  Scenario: Replies do not reach a replier binding that covers their name
    Given the Ksocks "alice", "bob" and "carol"
    And "alice" is the replier for "$.Sensors.*"
    And "carol" is the replier for "$.Sensors.Kitchen"
    And "bob" has sent a request "$.Sensors.Kitchen"
    And "carol" has read the next message
    When "carol" replies to the request it read
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen" with:
      | in_reply_to | bob's last request |
    And "alice" receives nothing

  @REP-04 @spec:repliers @core @promise:request-reply
  Scenario: The replier's copy of a request tells it to reply
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Sensors.Kitchen"
    When "bob" sends a request "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" receives "$.Sensors.Kitchen" with:
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY |
      | from  | bob                             |
      | id    | bob's last request              |

  @REP-05 @spec:repliers @core @promise:wildcards
  Scenario Outline: The most specific replier answers <name>
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" is the replier for "$.Sensors.%"
    And "carol" is the replier for "$.Sensors.*"
    When "dave" sends a request "<name>"
    Then it succeeds
    And the request "<name>" reaches only "<replier>" of the repliers "alice", "bob" and "carol"

    Examples:
      | name                          | replier |
      | $.Sensors.Kitchen             | alice   |
      | $.Sensors.Hall                | bob     |
      | $.Sensors.Kitchen.Temperature | carol   |

  @REP-05 @spec:repliers @core @promise:wildcards
  Scenario: An exact replier bound before a wildcard replier still wins
    Given the Ksocks "alice", "bob" and "dave"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "bob" is the replier for "$.Sensors.*"
    When "dave" sends a request "$.Sensors.Kitchen"
    Then it succeeds
    And the request "$.Sensors.Kitchen" reaches only "alice" of the repliers "alice" and "bob"

  @REP-06 @spec:repliers @extended @promise:wildcards
  Scenario Outline: Among matching star repliers the most recent binding wins, however deep (<first> then <second>)
    Given the Ksocks "alice", "bob" and "dave"
    And "<first>" is the replier for "<first binding>"
    And "<second>" is the replier for "<second binding>"
    When "dave" sends a request "$.Sensors.Kitchen"
    Then it succeeds
    And the request "$.Sensors.Kitchen" reaches only "<second>" of the repliers "alice" and "bob"

    Examples:
      | first | first binding | second | second binding |
      | alice | $.*           | bob    | $.Sensors.*    |
      | bob   | $.Sensors.*   | alice  | $.*            |

  @REP-07 @spec:repliers @core @promise:sender-and-listener
  Scenario Outline: A Ksock that is replier and listener gets the replier copy first, then the listener copy
    Given the Ksocks "alice" and "bob"
    And "alice" <first> "$.Sensors.Kitchen"
    And "alice" <second> "$.Sensors.Kitchen"
    When "bob" sends a request "$.Sensors.Kitchen"
    Then it succeeds
    And "alice" has 2 messages queued
    And "alice" receives "$.Sensors.Kitchen" with:
      | id    | bob's last request              |
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY |
    And "alice" receives "$.Sensors.Kitchen" with:
      | id    | bob's last request |
      | flags | WANT_A_REPLY       |
    And "alice" receives nothing

    Examples: binding order
      | first                | second               |
      | listens to           | is the replier for   |
      | is the replier for   | listens to           |

  @REP-05 @spec:repliers @core @promise:request-reply
  Scenario: A Ksock whose replier bindings overlap gets one copy of a request
    Given the Ksocks "alice" and "bob"
    And "alice" is the replier for "$.Fred.*"
    And "alice" is the replier for "$.Fred.Jim"
    When "bob" sends a request "$.Fred.Jim"
    Then it succeeds
    And "alice" has 1 message queued
    And "alice" receives "$.Fred.Jim" with:
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY |
    And "alice" receives nothing
