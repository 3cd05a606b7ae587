@area:urgent
Feature: Urgent messages
  A message flagged URGENT goes to the front of each recipient's queue instead of the back,
  so it is the next one read; urgent messages that arrive before anything is read come out
  newest first. The flag stays set in every copy delivered, requests included.

  @URG-01 @spec:urgent-messages @extended
  Scenario: An urgent message is read before the messages already waiting
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.*"
    And "bob" has sent announcements "$.Sensors.Kitchen" and "$.Sensors.Hall"
    When "bob" sends the message:
      | name  | $.Sensors.Alarm |
      | flags | URGENT          |
    Then it succeeds
    And "alice" receives "$.Sensors.Alarm" with:
      | flags | URGENT |
    And "alice" receives, in order:
      | $.Sensors.Kitchen |
      | $.Sensors.Hall    |
    And "alice" receives nothing

  @URG-02 @spec:urgent-messages @extended
  Scenario: Urgent messages waiting together come out newest first
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.*"
    And "bob" has sent an announcement "$.Sensors.Kitchen"
    And "bob" has sent the message:
      | name  | $.Sensors.Smoke |
      | flags | URGENT          |
    And "bob" has sent the message:
      | name  | $.Sensors.Flood |
      | flags | URGENT          |
    Then "alice" receives, in order:
      | $.Sensors.Flood   |
      | $.Sensors.Smoke   |
      | $.Sensors.Kitchen |
    And "alice" receives nothing

  @URG-03 @spec:urgent-messages @extended @promise:request-reply
  Scenario: An urgent request jumps the replier's queue and keeps its flag in every copy
    Given the Ksocks "alice", "bob", "carol" and "dave"
    And "alice" is the replier for "$.Sensors.Kitchen"
    And "dave" listens to "$.Sensors.Kitchen"
    And "carol" has sent a request "$.Sensors.Kitchen"
    When "bob" sends the message:
      | name  | $.Sensors.Kitchen    |
      | flags | WANT_A_REPLY\|URGENT |
    Then it succeeds
    And "alice" receives "$.Sensors.Kitchen" with:
      | id    | bob's last request                      |
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY\|URGENT |
    And "alice" receives "$.Sensors.Kitchen" with:
      | id    | carol's last request            |
      | flags | WANT_A_REPLY\|WANT_YOU_TO_REPLY |
    And "dave" receives "$.Sensors.Kitchen" with:
      | id    | bob's last request   |
      | flags | WANT_A_REPLY\|URGENT |
