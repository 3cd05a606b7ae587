@area:wildcards
Feature: Wildcard bindings
  A listener or replier may bind to a family of names at once. A binding whose last word is "*"
  covers every name that starts with the binding's prefix (everything up to and including the
  dot before the "*") and goes on for at least one more byte, however many words deep. A binding
  whose last word is "%" covers exactly one more word below its prefix. A binding without a
  wildcard covers only the identical name. Each binding that covers a message delivers its own
  copy of it.

  Background:
    Given the Ksocks "alice" and "bob"

  @WC-01 @spec:message-names @core @promise:wildcards
  Scenario Outline: A "*" binding covers every name below its prefix, at any depth
    Given "bob" listens to "<binding>"
    When "alice" sends an announcement "<name>"
    Then the number of "<name>" messages "bob" receives is <copies>

    Examples:
      | binding           | name                             | copies |
      | $.Fred.*          | $.Fred.Jim                       | 1      |
      | $.Fred.*          | $.Fred.JimBob.William            | 1      |
      | $.Fred.*          | $.Fred.J                         | 1      |
      | $.Fred.*          | $.Fred.Jim.Bob.Alan.Sue.Ann      | 1      |
      | $.Sensors.*       | $.Sensors.Kitchen.FireAlarm      | 1      |
      | $.Fred.*          | $.Freddy.Jim                     | 0      |
      | $.Fred.*          | $.Jim.Fred                       | 0      |
      | $.Sensors.Kitchen.* | $.Sensors.Bedroom.FireAlarm    | 0      |

  @WC-02 @spec:message-names @core @promise:wildcards
  Scenario: A "*" binding does not cover the name of its own prefix
    Given "bob" listens to "$.Fred.*"
    When "alice" sends an announcement "$.Fred"
    Then it succeeds
    And "bob" receives nothing

  @WC-02 @spec:message-names @core @promise:wildcards
  Scenario: A request for the prefix of a "*" replier binding has no replier
    Given "bob" is the replier for "$.Fred.*"
    When "alice" sends a request "$.Fred"
    Then it fails with EADDRNOTAVAIL
    And "bob" receives nothing

  @WC-03 @spec:message-names @core @promise:wildcards
  Scenario Outline: A "%" binding covers exactly one more word
    Given "bob" listens to "<binding>"
    When "alice" sends an announcement "<name>"
    Then the number of "<name>" messages "bob" receives is <copies>

    Examples:
      | binding      | name                | copies |
      | $.This.%     | $.This.Fred         | 1      |
      | $.This.%     | $.This.F            | 1      |
      | $.This.%     | $.This.Jim.One      | 0      |
      | $.This.%     | $.This              | 0      |
      | $.This.%     | $.Thistle.Fred      | 0      |
      | $.A.B.%      | $.A.B.C             | 1      |
      | $.A.B.%      | $.A.B.C.D           | 0      |

  @WC-04 @spec:message-names @core @promise:wildcards
  Scenario Outline: "$.*" covers every name and "$.%" every single-word name
    Given "bob" listens to "<binding>"
    When "alice" sends an announcement "<name>"
    Then the number of "<name>" messages "bob" receives is <copies>

    Examples:
      | binding | name                        | copies |
      | $.*     | $.Fred                      | 1      |
      | $.*     | $.Sensors.Kitchen.FireAlarm | 1      |
      | $.*     | $.KBUS.Anything             | 1      |
      | $.%     | $.Fred                      | 1      |
      | $.%     | $.Sensors.Kitchen           | 0      |

  @WC-04 @spec:message-names @core @promise:wildcards
  Scenario: A "$.*" listener sees requests and replies as well as announcements
    Given a Ksock "carol"
    And "carol" listens to "$.*"
    And "bob" is the replier for "$.Clock.Time"
    And "alice" has sent an announcement "$.Clock.Tick"
    And "alice" has sent a request "$.Clock.Time"
    And "bob" has read the next message
    And "bob" has replied to the request it read
    Then "carol" receives "$.Clock.Tick" with:
      | in_reply_to | [0:0] |
      | flags       | 0     |
    And "carol" receives "$.Clock.Time" with:
      | flags | WANT_A_REPLY |
    And "carol" receives "$.Clock.Time" with:
      | in_reply_to | alice's last request |
      | from        | bob                  |
    And "carol" receives nothing

  @WC-05 @spec:message-names @core @promise:wildcards
  Scenario Outline: A binding without a wildcard covers only the identical name
    Given "bob" listens to "$.Fred.Jim"
    When "alice" sends an announcement "<name>"
    Then the number of "<name>" messages "bob" receives is <copies>

    Examples:
      | name            | copies |
      | $.Fred.Jim      | 1      |
      | $.Fred          | 0      |
      | $.Fred.Ji       | 0      |
      | $.Fred.Jimmy    | 0      |
      | $.Fred.Jim.Bob  | 0      |

  @WC-06 @spec:listeners @core @promise:wildcards
  Scenario: Overlapping specific and wildcard bindings each deliver a copy
    Given "bob" listens to "$.Fred"
    And "bob" listens to "$.*"
    And "bob" listens to "$.%"
    When "alice" sends an announcement "$.Fred"
    Then "bob" receives exactly 3 copies of "$.Fred" carrying the same message id

  @WC-06 @spec:listeners @core @promise:wildcards
  Scenario Outline: Overlapping bindings deliver a copy each and take back their own, in any binding order
    Given "bob" listens to "<first>"
    And "bob" listens to "<second>"
    And "bob" listens to "<third>"
    When "alice" sends an announcement "$.Fred.Jim"
    Then "bob" has 3 messages queued
    When "bob" unbinds as a listener from "$.Fred.Jim"
    Then "bob" has 2 messages queued
    When "bob" unbinds as a listener from "$.*"
    Then "bob" has 1 message queued
    When "bob" unbinds as a listener from "$.Fred.*"
    Then "bob" has 0 messages queued

    Examples: every order of the three bindings
      | first      | second     | third      |
      | $.Fred.Jim | $.Fred.*   | $.*        |
      | $.Fred.Jim | $.*        | $.Fred.*   |
      | $.Fred.*   | $.Fred.Jim | $.*        |
      | $.Fred.*   | $.*        | $.Fred.Jim |
      | $.*        | $.Fred.Jim | $.Fred.*   |
      | $.*        | $.Fred.*   | $.Fred.Jim |

  @WC-06 @spec:listeners @core @promise:wildcards
  Scenario: Unbinding a wildcard removes only the copies it delivered
    Given "bob" listens to "$.Fred"
    And "bob" listens to "$.*"
    And "alice" has sent announcements "$.Fred", "$.Jim" and "$.Fred"
    And "bob" has 5 messages queued
    When "bob" unbinds as a listener from "$.*"
    Then it succeeds
    And "bob" has 2 messages queued
    And "bob" receives, in order:
      | $.Fred |
      | $.Fred |
    And "bob" receives nothing

  @WC-07 @spec:listeners @extended @promise:wildcards
  Scenario: A "$.*" listener receives replier bind events
    Given a Ksock "carol"
    And "carol" listens to "$.*"
    And "alice" has turned on reporting of replier binds
    When "bob" binds as replier to "$.Clock.Time"
    Then it succeeds
    And "carol" receives "$.KBUS.ReplierBindEvent" with:
      | from  | 0                      |
      | flags | SYNTHETIC\|ALL_OR_FAIL |

  @WC-07 @spec:listeners @extended @promise:wildcards
  Scenario: A "$.*" listener never receives synthetic replies
    Given a Ksock "carol"
    And "carol" listens to "$.*"
    And "bob" is the replier for "$.Clock.Time"
    And "alice" has sent a request "$.Clock.Time"
    When "bob" unbinds as replier from "$.Clock.Time"
    Then it succeeds
    And "alice" receives "$.KBUS.Replier.Unbound" with:
      | in_reply_to | alice's last request |
    And "carol" receives "$.Clock.Time"
    And "carol" receives nothing
