"""A combo leg as Lean's GetHash serializes it: the leg type's own properties, then ComboOrder's overridden
`quantity`, then Order's (without quantity), `groupOrderManager` before `priceAdjustmentMode`
(Common/Orders/ComboOrder.cs, ComboLegLimitOrder.cs, GroupOrderManager.cs; Newtonsoft writes the most
derived declarations first)."""
from __future__ import annotations

from typing import Any

from pylean.enums import OrderType
from pylean.results.order_list_hash import (_decimal, _properties_text, _submission_data, _symbol, _utc_date,
                                            is_marketable, json_string, write_json)
from pylean.statistics.dotnet import normalize, smart_round


def _group_json(group: Any) -> str:
    return (f'{{"id":{group.id},"quantity":{_decimal(group._quantity)},"count":{group.count},'
            f'"limitPrice":{_decimal(group._limit_price)},"orderIds":[{",".join(str(i) for i in group.order_ids)}],'
            f'"direction":{int(group.direction)}}}')


def combo_order_json_text(order: Any) -> str:
    kind = int(order.type)
    price = smart_round(order._price)
    quantity = normalize(order._quantity)
    time = _utc_date(order._time)
    head = f'{{"type":{kind}'
    if kind == OrderType.COMBO_LEG_LIMIT:
        head += f',"limitPrice":{_decimal(order._limit_price)}'  # GetHash does not round it
    parts = [head, ',"quantity":', _decimal(quantity), ',"id":', str(order.id), ',"contingentId":',
             str(order.contingent_id), ',"brokerId":[', ",".join(json_string(str(b)) for b in order.broker_id),
             '],"symbol":', _symbol(order.symbol), ',"price":', _decimal(price), ',"priceCurrency":',
             write_json(order.price_currency), ',"time":', time, ',"createdTime":', time]
    for key, value in (("lastFillTime", order._last_fill_time), ("lastUpdateTime", order._last_update_time),
                       ("canceledTime", order._canceled_time)):
        if value is not None:
            parts += (',"', key, '":', _utc_date(value))
    parts += (',"status":', str(int(order.status)))
    if order.tag is not None:
        parts += (',"tag":', json_string(order.tag))
    parts += (',"properties":', _properties_text(order.properties), ',"securityType":',
              str(int(order.symbol.security_type)), ',"direction":', str(int(order.direction)), ',"value":',
              _decimal(quantity * price), ',"orderSubmissionData":', write_json(_submission_data(order)),
              ',"isMarketable":', "true" if is_marketable(order) else "false", ',"groupOrderManager":',
              _group_json(order.group_order_manager), ',"priceAdjustmentMode":',
              str(int(order.price_adjustment_mode)), "}")
    return "".join(parts)
